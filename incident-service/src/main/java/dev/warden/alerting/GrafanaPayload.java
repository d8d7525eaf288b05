package dev.warden.alerting;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.GrafanaDetails;
import dev.warden.incidents.ReceivedAlert;

/**
 * The body of Grafana's webhook contact point, version 1: Alertmanager's webhook body
 * (Grafana alerting runs an Alertmanager of its own) with Grafana's additions. It is
 * translated into the same {@link AlertBatch} as Alertmanager's, with the additions
 * carried along per alert: the values of the rule's queries ({@code values},
 * {@code valueString}) and its links ({@code dashboardURL}, {@code panelURL},
 * {@code silenceURL}, {@code imageURL}). {@code title}, {@code state} and
 * {@code message}, which Grafana marks deprecated and which repeat what the alerts say,
 * are ignored, as are unknown fields.
 * <p>
 * Grafana's groups are kept apart from Alertmanager's and by organisation: the batch's
 * group key is {@code grafana:<orgId>:<groupKey>}.
 */
record GrafanaPayload(@NotNull @Pattern(regexp = "1",
		message = "must be \"1\": this endpoint takes the body of Grafana's webhook contact point, version 1 (Alertmanager's webhook, version 4, goes to "
				+ AlertmanagerWebhookController.PATH + ")") String version,
		@NotBlank @Size(max = 65536) @StorableText String groupKey, @PositiveOrZero Long orgId,
		@PositiveOrZero Integer truncatedAlerts,
		@NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
		@StorableText String receiver, Map<@NotNull @StorableText String, @NotNull @StorableText String> groupLabels,
		Map<@NotNull @StorableText String, @NotNull @StorableText String> commonLabels,
		Map<@NotNull @StorableText String, @NotNull @StorableText String> commonAnnotations,
		@StorableText String externalURL,
		@NotEmpty(message = "must hold at least one alert") List<@NotNull @Valid Alert> alerts) {

	/** Longest link kept; Grafana's are a few hundred characters. */
	static final int MAX_URL = 8192;

	/** Most values one alert may carry: one per query or expression of its rule. */
	static final int MAX_VALUES = 100;

	/** The group key of the batch: Grafana's, apart from Alertmanager's and per org. */
	String batchGroupKey() {
		return "grafana:" + ((this.orgId != null) ? this.orgId + ":" : "") + this.groupKey;
	}

	AlertBatch toBatch() {
		return AlertmanagerPayload.batch(batchGroupKey(), this.status, this.receiver, this.groupLabels,
				this.commonLabels, this.commonAnnotations, this.externalURL, this.truncatedAlerts,
				this.alerts.stream().map(Alert::toReceivedAlert).toList());
	}

	/** One alert of the body. */
	record Alert(
			@NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
			@NotEmpty Map<@NotBlank @StorableText String, @NotNull @StorableText String> labels,
			Map<@NotNull @StorableText String, @NotNull @StorableText String> annotations,
			@NotNull @Rfc3339 String startsAt, @Rfc3339 String endsAt,
			@Size(max = MAX_URL) @StorableText String generatorURL,
			@NotBlank @Size(max = 256) @StorableText String fingerprint,
			@Size(max = MAX_VALUES) Map<@NotBlank @Size(
					max = 256) @StorableText String, @NotNull @Finite Double> values,
			@Size(max = 65536) @StorableText String valueString, @Size(max = MAX_URL) @StorableText String silenceURL,
			@Size(max = MAX_URL) @StorableText String dashboardURL, @Size(max = MAX_URL) @StorableText String panelURL,
			@Size(max = MAX_URL) @StorableText String imageURL) {

		ReceivedAlert toReceivedAlert() {
			return AlertmanagerPayload.Alert.received(this.status, this.labels, this.annotations, this.startsAt,
					this.endsAt, this.generatorURL, this.fingerprint, details());
		}

		GrafanaDetails details() {
			return new GrafanaDetails(this.values, this.valueString, this.dashboardURL, this.panelURL, this.silenceURL,
					this.imageURL);
		}

	}

	/**
	 * A finite number: JSON has no NaN or infinity, but a value too large for a double
	 * (or a string such as {@code "NaN"}) would read as one, and could not be stored.
	 */
	@Documented
	@Constraint(validatedBy = Finite.Validator.class)
	@Target({ ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	@interface Finite {

		String message() default "must be a finite number";

		Class<?>[] groups() default {};

		Class<? extends jakarta.validation.Payload>[] payload() default {};

		class Validator implements ConstraintValidator<Finite, Double> {

			@Override
			public boolean isValid(Double value, ConstraintValidatorContext context) {
				return value == null || Double.isFinite(value);
			}

		}

	}

}
