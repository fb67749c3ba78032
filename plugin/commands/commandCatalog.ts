import type { CommandAction, PulsePattern } from '../../protocol/messages.js';
import type { ScType } from '../securitycenter/scTypes.js';

/**
 * R13: the SiPass manual overrides Security Desk can run, on which synchronized entities, and the
 * privilege each needs. Door allow access is a momentary unlock; a reader's buzzer is on one side
 * (A/B) of a door; outputs are a unit's outputs, pulsed with a pattern.
 */
export interface CommandSpec {
  /** The SC entity types the command applies to. */
  readonly on: readonly ScType[];
  /** The Security Center privilege an operator needs (R13: refused in SC without it). */
  readonly privilege: string;
  readonly label: string;
}

export const COMMANDS: Readonly<Record<CommandAction, CommandSpec>> = {
  allowAccess: { on: ['door'], privilege: 'unlockDoors', label: 'door allow access (momentary unlock)' },
  block: { on: ['door'], privilege: 'blockDoors', label: 'door block' },
  unblock: { on: ['door'], privilege: 'blockDoors', label: 'door unblock' },
  buzzer: { on: ['door'], privilege: 'readerBuzzer', label: 'reader buzzer' },
  arm: { on: ['intrusionArea'], privilege: 'armIntrusionAreas', label: 'arm intrusion area' },
  disarm: { on: ['intrusionArea'], privilege: 'armIntrusionAreas', label: 'disarm intrusion area' },
  pulse: { on: ['accessControlUnit', 'intrusionUnit'], privilege: 'triggerOutputs', label: 'output pulse' },
};

export const COMMAND_ACTIONS = Object.keys(COMMANDS) as CommandAction[];
export const PRIVILEGES = [...new Set(Object.values(COMMANDS).map((c) => c.privilege))];
export const PULSE_PATTERNS: readonly PulsePattern[] = ['fast', 'single', 'slow', 'toggle'];

/** R13: each SiPass pulse pattern is mapped to a Security Center output behaviour. */
export const OUTPUT_BEHAVIOUR: Readonly<Record<PulsePattern, string>> = {
  fast: 'Periodic pulse (fast)',
  single: 'Pulse',
  slow: 'Periodic pulse (slow)',
  toggle: 'Toggle (state change)',
};
