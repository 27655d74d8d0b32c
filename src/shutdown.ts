// Whether this process has begun its orderly shutdown (SIGINT/SIGTERM):
// what then goes away (Postgres closing connections, with the terminal's
// Ctrl-C reaching it too) is expected, and logged at info, not as trouble.
let begun = false;

export const shutdownBegun = () => begun;
export const beginShutdown = () => void (begun = true);
