// When to start primer-ls again after it stopped by itself: a few times, but not in a loop when it
// keeps crashing. No `vscode` import.

export interface RestartDecision {
  restart: boolean;
  /** Set when the server is given up on: what to tell the user. */
  message?: string;
}

export class RestartPolicy {
  private crashes: number[] = [];

  /**
   * @param max restarts allowed within `windowMs`; one more crash in that time gives up
   * @param now the clock, replaceable in tests
   */
  constructor(
    private readonly max = 4,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called when the server process ended without being asked to. */
  crashed(): RestartDecision {
    const t = this.now();
    this.crashes = this.crashes.filter(c => t - c < this.windowMs);
    this.crashes.push(t);
    if (this.crashes.length <= this.max) {
      return { restart: true };
    }
    const minutes = Math.round(this.windowMs / 60_000);
    return {
      restart: false,
      message:
        `primer-ls stopped unexpectedly ${this.crashes.length} times in ${minutes} minutes and is not started again. ` +
        'The Primer output has its last words; run "Primer: Restart Server" to try again.',
    };
  }
}
