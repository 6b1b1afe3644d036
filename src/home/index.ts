// The door to home/: what the rest of Rounds may use. The page every launch lands on, and sign-out.
export { homeRouter } from './home.routes';
export { signOutRouter } from './signout.routes';
