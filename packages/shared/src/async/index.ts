export { withTimeout } from './with-timeout.ts';
