/**
 * Colour on a terminal only, as Node's own tools decide it: FORCE_COLOR
 * (anything but 0/false) turns it on even in a pipe and wins over NO_COLOR
 * (https://no-color.org: any non-empty value turns it off); TERM=dumb turns it off.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
