/** Who asked for a change: an account id, or 'system' for start-up and the CLI. */
export interface Actor {
  actorId: string;
  correlationId?: string;
}

export const SYSTEM: Actor = Object.freeze({ actorId: 'system' });

export const metadataOf = (actor: Actor) => ({
  actorId: actor.actorId,
  ...(actor.correlationId ? { correlationId: actor.correlationId } : {}),
});
