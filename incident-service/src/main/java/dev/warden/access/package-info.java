/**
 * Who may do what, and what they did. For the console: its users, their roles and their
 * store ({@link dev.warden.access.UserAdministration}), the first admin, password hashing
 * (Argon2id, bounded), form sign-in with throttling per address and per (username,
 * address), sessions in PostgreSQL, the signed-in user
 * ({@link dev.warden.access.SignedInUser}) checked against the stored one on every
 * request, and the console's security chain. For the API: tokens (stored hashed) with
 * their scopes, the bootstrap token and the API's security rules (each handler declares
 * its {@link dev.warden.access.Scope} with {@link dev.warden.access.RequiresScope}). Also
 * a read-only view of console accounts for Slack's buttons acting as their users, the
 * append-only audit log of every change a person or token makes
 * ({@link dev.warden.access.Audit}, {@code GET /api/v1/audit}), the security of the API
 * docs and the operational endpoints, and {@link dev.warden.access.SecurityChains}: the
 * order of every security chain and the stateless setup that the webhook's, Slack's, the
 * API's and the operational chains share (each module declares its own chain). The pages
 * (sign-in form, admin pages) are the console's.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Access", allowedDependencies = { "storage", "web" })
package dev.warden.access;
