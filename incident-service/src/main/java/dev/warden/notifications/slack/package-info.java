/**
 * Slack: posting and updating incident messages through the Web API without duplicates,
 * rendering incidents as Block Kit, and verifying the signatures on Slack's requests.
 */
package dev.warden.notifications.slack;
