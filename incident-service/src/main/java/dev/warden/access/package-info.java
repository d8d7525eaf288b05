/**
 * Who may do what, and what they did: API tokens (stored hashed) with their scopes, the
 * bootstrap token and the API's security rules (each handler declares its
 * {@link dev.warden.access.Scope} with {@link dev.warden.access.RequiresScope}); the
 * console roles and a read-only view of console accounts (for Slack buttons acting as
 * their users); and the append-only audit log of every change a person or token makes
 * ({@link dev.warden.access.Audit}, {@code GET /api/v1/audit}). Also the security of the
 * API docs and the operational endpoints; the Alertmanager webhook keeps its own
 * authentication.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Access", allowedDependencies = { "storage", "web" })
package dev.warden.access;
