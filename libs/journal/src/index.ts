export * from './domain/codes';
export * from './domain/reflection-events';
export * from './domain/journal-errors';
export * from './domain/reflection';
export * from './domain/person';
