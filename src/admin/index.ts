// The door to admin/: what the rest of Rounds may use. Administration pages: the admin's own LMS platform and the outbox of grades and rosters.
export { outboxAdminRouter } from './outbox.routes';
export { platformsAdminRouter } from './platforms.routes';
