package dev.warden.notifications.email;

/**
 * One alert of an incident, as an email shows it.
 *
 * @param name the alert's name, such as {@code GpuMemoryHigh}
 * @param status the alert's status, such as {@code firing} or {@code resolved}
 * @param summary what the alert says, or null
 * @param generatorUrl the Prometheus link of the alert's expression, or null
 */
public record MailAlert(String name, String status, String summary, String generatorUrl) {

}
