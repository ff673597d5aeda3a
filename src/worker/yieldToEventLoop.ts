/**
 * Resolves after the event loop has had a turn, so that messages waiting for the worker are handled. Not
 * setTimeout(0): nested timers are clamped to 4 ms, which a loop that yields between the runs of a fast race
 * would pay again and again. In a browser a MessageChannel message queues behind the page's messages; Node
 * drains a port's messages in one go (timers and I/O would starve), so there setImmediate takes the turn.
 */
const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;

export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}
