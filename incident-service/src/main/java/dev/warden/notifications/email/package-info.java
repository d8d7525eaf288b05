/**
 * Incident email: composes the opened, escalated and resolved messages of an incident
 * from Thymeleaf templates as one mail thread, and sends them over SMTP with failures
 * told apart into worth retrying and not.
 */
package dev.warden.notifications.email;
