/**
 * Who may call Warden's API and how requests authenticate: API tokens (stored hashed) and
 * their scopes, the bootstrap token, and the security rules for the API (each handler
 * declares its {@link dev.warden.access.Scope} with
 * {@link dev.warden.access.RequiresScope}), the API docs and the operational endpoints.
 * The Alertmanager webhook keeps its own authentication.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Access")
package dev.warden.access;
