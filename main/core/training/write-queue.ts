/** Runs file appends one after another, in order, without blocking the training loop. */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private error: unknown = null;

  push(write: () => Promise<void>): void {
    this.tail = this.tail.then(write).catch((e) => {
      this.error ??= e;
    });
  }

  async flush(): Promise<void> {
    await this.tail;
    if (this.error) {
      const e = this.error;
      this.error = null;
      throw e;
    }
  }
}
