/**
 * Every key the dashboard answers, in the order `?` lists them. The dashboard
 * binds exactly these (by `action`), so the help screen cannot miss one.
 */
export type KeyAction =
  | 'help'
  | 'quit'
  | 'properties'
  | 'manualSync'
  | 'raiseAlarm'
  | 'ackAlarm'
  | 'clearAlarm'
  | 'fireEvent'
  | 'faultMenu'
  | 'reset'
  | 'block'
  | 'garbage'
  | 'slow'
  | 'restart'
  | 'serverPort'
  | 'focusNext'
  | 'scrollLog'
  | 'record';

export interface KeyBinding {
  action: KeyAction;
  /** blessed key names. */
  keys: string[];
  /** As shown in help. */
  label: string;
  what: string;
}

export const KEYMAP: readonly KeyBinding[] = [
  { action: 'help', keys: ['?'], label: '?', what: 'this help (any key closes it)' },
  { action: 'quit', keys: ['q', 'C-c'], label: 'q, Ctrl-C', what: 'quit and restore the terminal' },
  { action: 'properties', keys: ['p'], label: 'p', what: 'edit the Properties tab; Enter applies, Esc cancels' },
  { action: 'manualSync', keys: ['s'], label: 's', what: 'manual sync (Synchronization tab; role must be ready)' },
  { action: 'raiseAlarm', keys: ['a'], label: 'a', what: 'raise an alarm in SiPass (cycles the alarm classes)' },
  { action: 'ackAlarm', keys: ['k'], label: 'k', what: 'acknowledge the newest unacknowledged alarm in Security Center' },
  { action: 'clearAlarm', keys: ['c'], label: 'c', what: 'clear the newest active alarm in SiPass' },
  { action: 'fireEvent', keys: ['e'], label: 'e', what: 'fire a SiPass event (cycles the event types)' },
  { action: 'faultMenu', keys: ['f'], label: 'f', what: 'fault menu (also clickable)' },
  { action: 'reset', keys: ['r'], label: 'r', what: 'fault: reset every connection' },
  { action: 'block', keys: ['b'], label: 'b', what: 'fault: block / unblock the port (packets dropped)' },
  { action: 'garbage', keys: ['g'], label: 'g', what: "fault: random bytes into the role's connection" },
  { action: 'slow', keys: ['w'], label: 'w', what: 'fault: slow sync (2,000 entities/s) on / off' },
  { action: 'restart', keys: ['t'], label: 't', what: 'fault: restart the SiPass server (same port)' },
  { action: 'serverPort', keys: ['o'], label: 'o', what: "change the server's port (the role needs a matching Apply)" },
  { action: 'focusNext', keys: ['tab'], label: 'Tab', what: 'next pane: entity browser (Enter expands), log, alarms, sync' },
  { action: 'record', keys: ['S-r', 'R'], label: 'R', what: 'record a scenario; R again (or q) saves it (path in the log)' },
  { action: 'scrollLog', keys: ['pageup', 'pagedown'], label: 'PgUp, PgDn', what: 'scroll the event log (or the mouse wheel over it)' },
];

