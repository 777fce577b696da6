/**
 * Errors that the session treats apart from a plain failure. Kept here, not in a backend's module, because the
 * session knows backends only through their interface.
 */

/** The backend did not get ready within its watchdog's time, but may yet: the learner can choose to keep waiting. */
export class BootTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootTimeoutError';
  }
}
