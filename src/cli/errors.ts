// CLI errors: a message meant for people, printed as one line without a stack.

/** An error whose message is the whole story for the user. */
export class CliError extends Error {}
