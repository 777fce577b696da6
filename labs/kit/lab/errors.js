// @ts-check
/**
 * Errors meant for a person. The `lab` command prints their message (no stack trace) and exits with their code:
 * 1 when something failed, 2 when the command itself was wrong (a usage error).
 */

export class LabError extends Error {
  /**
   * @param {string} message what went wrong and what to do about it
   * @param {number} [exitCode]
   */
  constructor(message, exitCode = 1) {
    super(message);
    this.name = 'LabError';
    this.exitCode = exitCode;
  }
}

export class UsageError extends LabError {
  /** @param {string} message */
  constructor(message) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The supervisor does not answer on its control port. */
export class NotRunningError extends LabError {
  constructor() {
    super('the lab is not running: run `lab up`');
    this.name = 'NotRunningError';
  }
}
