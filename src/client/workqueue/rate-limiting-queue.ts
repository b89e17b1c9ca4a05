// A DelayingQueue whose retries are paced by a RateLimiter (client-go's RateLimitingInterface):
// a failed sync calls addRateLimited(key), a successful one forget(key).
import { realTimerClock } from '../clock.js';
import { DelayingQueue, type DelayingQueueOptions } from './delaying-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface RateLimitingQueueOptions<T> extends DelayingQueueOptions {
  /** Default: defaultControllerRateLimiter on the queue's clock. */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    super(opts);
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(opts.clock ?? realTimerClock);
  }

  /** Adds `item` once the rate limiter allows it. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Clears `item`'s failure history (it does not remove it from the queue). */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
