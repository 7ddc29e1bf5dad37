/**
 * Polls until the condition holds, for what happens at another's pace (a notification between
 * processes); fails after `withinMs`. The behaviour asserted is that it happens at all.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, withinMs = 10_000): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 20) {
    if (waited > withinMs) throw new Error(`the condition did not hold within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
