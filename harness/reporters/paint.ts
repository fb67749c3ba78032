/** ANSI colours for the terminal report, or the identity when colour is off (not a TTY, NO_COLOR). */
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
}

const sgr = (open: number, close: number) => (s: string): string => `\u001b[${open}m${s}\u001b[${close}m`;
const same = (s: string): string => s;

export function paint(colour: boolean): Paint {
  return colour ? { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), bold: sgr(1, 22) } : { green: same, red: same, yellow: same, bold: same };
}
