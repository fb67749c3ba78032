/**
 * Where a key press goes, as data: the dashboard's modes (main screen, help,
 * fault menu, Properties form, port prompt) each read keys their own way.
 * Pure, so every route is unit-tested without a terminal.
 */
import { KEYMAP, type KeyAction } from './keymap.js';

export type Mode = 'main' | 'help' | 'menu' | 'form' | 'port';

/** What blessed reports for a key press. */
export interface KeyPress {
  /** blessed's name: "escape", "enter", "pageup", "a". */
  name: string;
  /** blessed's full name: "C-c", "S-r", "R", "a". */
  full: string;
  ch?: string | undefined;
  ctrl?: boolean | undefined;
}

export type KeyRoute =
  | { to: 'none' }
  | { to: 'quit' }
  | { to: 'close' }
  | { to: 'action'; action: KeyAction }
  | { to: 'menuItem'; key: string }
  | { to: 'form'; key: KeyPress }
  | { to: 'portEnter' }
  | { to: 'portEdit'; key: KeyPress }
  | { to: 'scrollLog'; direction: -1 | 1 };

export function routeKey(mode: Mode, key: KeyPress): KeyRoute {
  if (key.full === 'C-c') return { to: 'quit' };
  switch (mode) {
    case 'help':
      return { to: 'close' };
    case 'menu':
      if (key.name === 'escape' || key.full === 'q') return { to: 'close' };
      return { to: 'menuItem', key: key.full };
    case 'form':
      return { to: 'form', key };
    case 'port':
      if (key.name === 'escape') return { to: 'close' };
      if (key.name === 'enter') return { to: 'portEnter' };
      return { to: 'portEdit', key };
    case 'main': {
      if (key.name === 'pageup' || key.name === 'pagedown') return { to: 'scrollLog', direction: key.name === 'pageup' ? -1 : 1 };
      const binding = KEYMAP.find((k) => k.keys.includes(key.full));
      return binding ? { to: 'action', action: binding.action } : { to: 'none' };
    }
  }
}
