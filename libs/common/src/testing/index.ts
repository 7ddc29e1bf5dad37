export * from './test-database';
export * from './decider-spec';
export * from './test-context';
export * from './eventually';
