/**
 * Every exit code the CLI uses (README "Exit codes"). Nothing else leaves
 * the process: an unexpected throw is INTERNAL, a signal 128 + its number.
 */
export const EXIT = {
  OK: 0,
  /** A scenario failed, nothing was selected, a role was not ready in time. */
  FAILED: 1,
  /** Bad input: arguments, scenario files, a report path, a port in use. */
  USAGE: 2,
  /** A bug in the bench (sysexits EX_SOFTWARE); the message asks for a report. */
  INTERNAL: 70,
  /** stdout was closed early (`run | head -1`): 128 + SIGPIPE, as `yes | head` ends. */
  PIPE_CLOSED: 141,
  SIGINT: 130,
  SIGTERM: 143,
} as const;
