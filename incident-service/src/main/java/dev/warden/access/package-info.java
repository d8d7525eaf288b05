/**
 * Who may call Warden's API and how requests authenticate: API tokens (stored hashed),
 * the bootstrap token, and the security rules for the API, the API docs and the
 * operational endpoints. The Alertmanager webhook keeps its own authentication.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Access")
package dev.warden.access;
