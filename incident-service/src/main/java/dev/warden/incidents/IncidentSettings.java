package dev.warden.incidents;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How alerts become incidents.
 *
 * @param reopenWindow a resolved incident whose group fires again within this window is
 * reopened; after it a new incident opens
 * @param autoResolve when an incident resolves because its alerts resolved
 * @param severityLabel the alert label that carries severity
 * @param severityMapping label value (case-insensitive) to severity; replaces the
 * built-in mapping (critical/page, error/high/major, warning/warn/minor, info/none)
 * @param defaultSeverity severity when the label is missing or not mapped
 * @param serviceLabel the alert label that names the service
 * @param teamLabel the alert label that names the owning team
 * @param repeatGap a firing alert seen again after at least this long gets an "alert
 * repeated" timeline entry; closer resends (retries, HA pairs) only move "last seen"
 * @param replayHorizon a firing notification for an alert occurrence Warden saw resolve
 * less than this long ago is a late retry or an HA peer's copy and changes nothing;
 * later, the same occurrence fires again (Alertmanager forgot and relearned it). Keep it
 * above Alertmanager's {@code group_interval}
 * @param staleAfter a firing alert Alertmanager has not mentioned for this long expires;
 * keep it above Alertmanager's {@code repeat_interval}; zero turns expiry off
 * @param housekeepingInterval how often the stale-alert sweep runs
 */
@ConfigurationProperties("warden.incidents")
@Validated
record IncidentSettings(@DefaultValue("1h") @NotNull Duration reopenWindow,
		@DefaultValue("all") @NotNull AutoResolve autoResolve, @DefaultValue("severity") @NotBlank String severityLabel,
		Map<String, Severity> severityMapping, @DefaultValue("warning") @NotNull Severity defaultSeverity,
		@DefaultValue("service") @NotBlank String serviceLabel, @DefaultValue("team") @NotBlank String teamLabel,
		@DefaultValue("15m") @NotNull Duration repeatGap, @DefaultValue("10m") @NotNull Duration replayHorizon,
		@DefaultValue("25h") @NotNull Duration staleAfter, @DefaultValue("5m") @NotNull Duration housekeepingInterval) {

	IncidentSettings {
		if (severityMapping == null || severityMapping.isEmpty()) {
			severityMapping = Map.of("critical", Severity.CRITICAL, "page", Severity.CRITICAL, "error", Severity.HIGH,
					"high", Severity.HIGH, "major", Severity.HIGH, "warning", Severity.WARNING, "warn",
					Severity.WARNING, "minor", Severity.WARNING, "info", Severity.INFO, "none", Severity.INFO);
		}
	}

	IncidentPolicy policy() {
		return new IncidentPolicy(this.severityLabel, this.severityMapping, this.defaultSeverity, this.serviceLabel,
				this.teamLabel, this.autoResolve, this.repeatGap, this.replayHorizon);
	}

}
