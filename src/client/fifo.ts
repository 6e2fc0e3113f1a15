// A first-in first-out queue with O(1) push and shift (Array.prototype.shift moves every element).

/** FIFO over an array with a moving head; the consumed prefix is dropped once it is half the array. */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Appends `v`. */
  push(v: T): void {
    this.items.push(v);
  }

  /** Removes and returns the oldest element; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  /** Removes and returns every element, oldest first. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }

  get length(): number {
    return this.items.length - this.head;
  }
}
