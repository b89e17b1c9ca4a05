export { Queue, type GetResult, type QueueOptions } from './queue.js';
export { DelayingQueue, type DelayingQueueOptions } from './delaying-queue.js';
export {
  type RateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiter.js';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rate-limiting-queue.js';
