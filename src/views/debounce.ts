// The Debouncer lives with the session (plain Node); the views use it from here too.
export { Debouncer } from '../session/debounce';
