package dev.warden.incidents;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The incidents JSON API. Every call needs an API token. */
@RestController
@RequestMapping("/api/v1/incidents")
@Validated
@Tag(name = "Incidents")
@SecurityRequirement(name = "apiToken")
class IncidentController {

	private static final Map<String, String> SORTABLE = Map.of("detectedAt", "milestones.detectedAt", "updatedAt",
			"updatedAt", "severity", "severity", "status", "status", "id", "id");

	private final IncidentService incidents;

	private final FollowUps.Runner followUps;

	IncidentController(IncidentService incidents, FollowUps.Runner followUps) {
		this.incidents = incidents;
		this.followUps = followUps;
	}

	private IncidentDetail detail(IncidentView incident) {
		return IncidentDetail.of(incident, this.followUps.state(incident));
	}

	@RequiresScope(Scope.READ)
	@GetMapping
	@Operation(summary = "List incidents, newest first, filtered and paged")
	IncidentPage list(@RequestParam(name = "status", required = false) List<String> statuses,
			@RequestParam(name = "severity", required = false) List<String> severities,
			@RequestParam(required = false) String service, @RequestParam(required = false) String team,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(defaultValue = "0") @Min(0) int page,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
			@RequestParam(defaultValue = "detectedAt,desc") String sort) {
		var query = new IncidentQuery(parse(statuses, "status", IncidentStatus.class),
				parse(severities, "severity", Severity.class), service, team, from, to);
		Page<IncidentSummary> result = this.incidents.list(query, PageRequest.of(page, size, sortOf(sort)));
		return new IncidentPage(result.map(IncidentListItem::of).getContent(), result.getNumber(), result.getSize(),
				result.getTotalElements(), result.getTotalPages());
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping
	@Operation(summary = "Declare an incident no alert opened (a user's report, a quality regression)",
			description = "Routes, notifies and escalates like an incident an alert opened. With an Idempotency-Key "
					+ "header, declaring again with the same key (same token) answers 200 with the incident the "
					+ "first call opened (201).")
	ResponseEntity<IncidentDetail> declare(@Valid @RequestBody DeclareRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Size(max = 200) String idempotencyKey,
			Principal principal) {
		Severity severity = (request.severity() != null && !request.severity().isBlank())
				? parse(List.of(request.severity()), "severity", Severity.class).iterator().next() : null;
		if (idempotencyKey != null && idempotencyKey.isBlank()) {
			throw badRequest("Idempotency-Key: must not be blank when given");
		}
		IncidentService.Declared declared = this.incidents.declare(
				new Declaration(request.title(), severity, request.service(), request.team(), request.description(),
						request.labels(), request.impactStartedAt(), idempotencyKey),
				actor(principal));
		IncidentDetail detail = detail(declared.incident());
		if (!declared.opened()) {
			return ResponseEntity.ok(detail);
		}
		return ResponseEntity.created(URI.create("/api/v1/incidents/" + detail.id())).body(detail);
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/alert-group")
	@Operation(summary = "Attach an Alertmanager group to a declared incident: its alerts come to it from now on")
	IncidentDetail attachGroup(@PathVariable @Positive long id, @Valid @RequestBody AttachGroupRequest request,
			Principal principal) {
		return detail(this.incidents.attachGroup(new IncidentId(id), actor(principal), request.groupKey()));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/merge")
	@Operation(summary = "Merge this incident into another: its alerts move there, it resolves as merged, "
			+ "its group's later alerts go there; undone by unmerge")
	IncidentDetail merge(@PathVariable @Positive long id, @Valid @RequestBody MergeRequest request,
			Principal principal) {
		return detail(this.incidents.merge(new IncidentId(id), new IncidentId(request.into()), actor(principal)));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/split")
	@Operation(summary = "Split alerts out of this incident into a new incident; undone by merging it back")
	ResponseEntity<IncidentDetail> split(@PathVariable @Positive long id, @Valid @RequestBody SplitRequest request,
			Principal principal) {
		IncidentDetail split = detail(
				this.incidents.split(new IncidentId(id), request.fingerprints(), request.title(), actor(principal)));
		return ResponseEntity.created(URI.create("/api/v1/incidents/" + split.id())).body(split);
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/unmerge")
	@Operation(summary = "Undo a merge: the alerts this incident brought move back and it opens again")
	IncidentDetail unmerge(@PathVariable @Positive long id, Principal principal) {
		return detail(this.incidents.unmerge(new IncidentId(id), actor(principal)));
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/{id}")
	@Operation(summary = "One incident with its alerts, milestones and timeline")
	IncidentDetail get(@PathVariable @Positive long id) {
		return detail(this.incidents.get(new IncidentId(id)));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/acknowledge")
	@Operation(summary = "Acknowledge a triggered incident")
	IncidentDetail acknowledge(@PathVariable @Positive long id, Principal principal) {
		return detail(this.incidents.acknowledge(new IncidentId(id), actor(principal)));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/resolve")
	@Operation(summary = "Resolve an open incident")
	IncidentDetail resolve(@PathVariable @Positive long id, Principal principal) {
		return detail(this.incidents.resolve(new IncidentId(id), actor(principal)));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/reopen")
	@Operation(summary = "Reopen a resolved incident")
	IncidentDetail reopen(@PathVariable @Positive long id, Principal principal) {
		return detail(this.incidents.reopen(new IncidentId(id), actor(principal)));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/mitigate")
	@Operation(summary = "Mark the incident mitigated by hand (the mitigated milestone), now or at a given time")
	IncidentDetail mitigate(@PathVariable @Positive long id,
			@Valid @RequestBody(required = false) MitigateRequest request, Principal principal) {
		MitigateRequest given = (request != null) ? request : new MitigateRequest(null, null);
		return detail(this.incidents.mitigateByHand(new IncidentId(id), actor(principal), given.at(), given.note()));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/impact-start")
	@Operation(summary = "Correct when the impact started, with a reason; alerts no longer move it")
	IncidentDetail correctImpactStart(@PathVariable @Positive long id, @Valid @RequestBody ImpactStartRequest request,
			Principal principal) {
		return detail(this.incidents.correctImpactStart(new IncidentId(id), actor(principal), request.at(),
				request.reason()));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/notes")
	@Operation(summary = "Add a note to the timeline")
	IncidentDetail addNote(@PathVariable @Positive long id, @Valid @RequestBody NoteRequest note, Principal principal) {
		return detail(this.incidents.addNote(new IncidentId(id), actor(principal), note.text()));
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/{id}/severity")
	@Operation(summary = "Change the severity by hand")
	IncidentDetail changeSeverity(@PathVariable @Positive long id, @Valid @RequestBody SeverityRequest request,
			Principal principal) {
		Severity severity = parse(List.of(request.severity()), "severity", Severity.class).iterator().next();
		return detail(this.incidents.changeSeverity(new IncidentId(id), actor(principal), severity));
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

	private static Actor actor(Principal principal) {
		return Actor.user(principal.getName());
	}

	private static Sort sortOf(String sort) {
		String[] parts = sort.split(",", 2);
		String property = SORTABLE.get(parts[0].strip());
		if (property == null) {
			throw badRequest("sort: cannot sort by '%s'; use one of %s".formatted(parts[0], SORTABLE.keySet()));
		}
		Sort.Direction direction = (parts.length > 1)
				? Sort.Direction.fromOptionalString(parts[1].strip())
					.orElseThrow(() -> badRequest("sort: direction must be asc or desc, not " + parts[1]))
				: Sort.Direction.DESC;
		return Sort.by(direction, property).and(Sort.by(Sort.Direction.DESC, "id"));
	}

	private static <E extends Enum<E>> Set<E> parse(List<String> values, String parameter, Class<E> type) {
		if (values == null) {
			return Set.of();
		}
		return values.stream()
			.flatMap((value) -> Arrays.stream(value.split(",")))
			.map(String::strip)
			.filter((value) -> !value.isEmpty())
			.map((value) -> {
				try {
					return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
				}
				catch (IllegalArgumentException ex) {
					throw badRequest("%s: '%s' is not one of %s".formatted(parameter, value,
							Arrays.stream(type.getEnumConstants())
								.map((constant) -> constant.name().toLowerCase(Locale.ROOT))
								.toList()));
				}
			})
			.collect(Collectors.toSet());
	}

	/**
	 * @param title what is wrong, in a line
	 * @param severity critical, high, warning or info
	 * @param service the affected service; routing decides when absent
	 * @param team the owning team; routing decides when absent
	 * @param description what is known so far
	 * @param labels more labels for routing, such as {@code model}
	 * @param impactStartedAt when users started to feel it, if known
	 */
	record DeclareRequest(@NotBlank @Size(max = Incident.MAX_TITLE_LENGTH) String title, @NotBlank String severity,
			@Size(max = Incident.MAX_LABEL_VALUE_LENGTH) String service,
			@Size(max = Incident.MAX_LABEL_VALUE_LENGTH) String team,
			@Size(max = Incident.MAX_DESCRIPTION_LENGTH) String description,
			@Size(max = Incident.MAX_LABELS) Map<String, String> labels, Instant impactStartedAt) {
	}

	/**
	 * @param groupKey the group's key, as Alertmanager's webhook gives it
	 */
	record AttachGroupRequest(@NotBlank @Size(max = Incident.MAX_GROUP_KEY_LENGTH) String groupKey) {
	}

	/**
	 * @param fingerprints the alerts to split out
	 * @param title the new incident's title; the first alert's summary or name when
	 * absent
	 */
	record SplitRequest(@NotEmpty @Size(max = 1000) List<@NotBlank @Size(max = 10_000) String> fingerprints,
			@Size(max = Incident.MAX_TITLE_LENGTH) String title) {
	}

	/**
	 * @param into the incident to merge into
	 */
	record MergeRequest(@NotNull @Positive Long into) {
	}

	record NoteRequest(@NotBlank @Size(max = 10_000) String text) {
	}

	record SeverityRequest(@NotBlank String severity) {
	}

	/**
	 * @param at when the mitigation took effect; now when absent
	 * @param note what was done
	 */
	record MitigateRequest(Instant at, @Size(max = Incident.MAX_REASON_LENGTH) String note) {
	}

	record ImpactStartRequest(@NotNull Instant at, @NotBlank @Size(max = Incident.MAX_REASON_LENGTH) String reason) {
	}

	record IncidentPage(List<IncidentListItem> items, int page, int size, long totalItems, int totalPages) {
	}

	// Named as the API documents it since before IncidentSummary (the module's view)
	// came.
	@Schema(name = "IncidentSummary")
	record IncidentListItem(long id, String ref, String title, String status, String severity, String service,
			String team, String groupKey, MilestonesView milestones, int reopenCount, Instant lastAlertAt,
			Instant updatedAt) {

		static IncidentListItem of(IncidentSummary incident) {
			return new IncidentListItem(incident.id().value(), incident.id().toString(), incident.title(),
					lower(incident.status()), lower(incident.severity()), incident.service(), incident.team(),
					incident.groupKey(), MilestonesView.of(incident.milestones()), incident.reopenCount(),
					incident.lastAlertAt(), incident.updatedAt());
		}

	}

	record IncidentDetail(long id, String ref, String title, String status, String severity, String service,
			String team, String declaredBy, String description, Long mergedInto, Long splitFrom, String groupKey,
			String receiver, String groupStatus, Map<String, String> groupLabels, Map<String, String> commonLabels,
			Map<String, String> commonAnnotations, int truncatedAlerts, String externalUrl, MilestonesView milestones,
			int reopenCount, Instant lastAlertAt, Instant updatedAt, RoutingVersionView routing,
			FollowUps.State followUp, List<AlertView> alerts, List<EventView> timeline) {

		static IncidentDetail of(IncidentView incident, FollowUps.State followUp) {
			return new IncidentDetail(incident.id().value(), incident.id().toString(), incident.title(),
					lower(incident.status()), lower(incident.severity()), incident.service(), incident.team(),
					(incident.declaredBy() != null) ? incident.declaredBy().name() : null, incident.description(),
					(incident.mergedInto() != null) ? incident.mergedInto().value() : null,
					(incident.splitFrom() != null) ? incident.splitFrom().value() : null, incident.groupKey(),
					incident.receiver(), incident.groupStatus(), incident.groupLabels(), incident.commonLabels(),
					incident.commonAnnotations(), incident.truncatedAlerts(), incident.externalUrl(),
					MilestonesView.of(incident.milestones()), incident.reopenCount(), incident.lastAlertAt(),
					incident.updatedAt(), RoutingVersionView.of(incident), followUp,
					incident.alerts().stream().map(AlertView::of).toList(),
					incident.timeline().stream().map(EventView::of).toList());
		}

	}

	/**
	 * The routing file version that decided who hears about the incident.
	 *
	 * @param version the recorded routing version, or null when none was recorded with
	 * that content
	 * @param contentHash the SHA-256 of the routing file that decided
	 */
	record RoutingVersionView(Long version, String contentHash) {

		static RoutingVersionView of(IncidentView incident) {
			return (incident.routingHash() != null || incident.routingVersion() != null)
					? new RoutingVersionView(incident.routingVersion(), incident.routingHash()) : null;
		}

	}

	record MilestonesView(Instant impactStartedAt, boolean impactStartCorrected, Instant detectedAt,
			Instant acknowledgedAt, String acknowledgedBy, Instant mitigatedAt, Instant resolvedAt, String resolvedBy,
			Duration timeToDetect, Duration timeToAcknowledge, Duration timeToMitigate, Duration timeToResolve) {

		static MilestonesView of(Milestones milestones) {
			Function<Actor, String> name = (actor) -> (actor != null) ? actor.name() : null;
			return new MilestonesView(milestones.impactStartedAt(), milestones.impactStartCorrected(),
					milestones.detectedAt(), milestones.acknowledgedAt(), name.apply(milestones.acknowledgedBy()),
					milestones.mitigatedAt(), milestones.resolvedAt(), name.apply(milestones.resolvedBy()),
					milestones.timeToDetect(), milestones.timeToAcknowledge(), milestones.timeToMitigate(),
					milestones.timeToResolve());
		}

	}

	record AlertView(String fingerprint, String alertname, String status, String severity, Map<String, String> labels,
			Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorURL, Instant firstSeenAt,
			Instant lastSeenAt, GrafanaView grafana) {

		static AlertView of(AlertSnapshot alert) {
			return new AlertView(alert.fingerprint(), alert.name(), lower(alert.status()), lower(alert.severity()),
					alert.labels(), alert.annotations(), alert.startsAt(), alert.endsAt(), alert.generatorUrl(),
					alert.firstSeenAt(), alert.lastSeenAt(), GrafanaView.of(alert.grafana()));
		}

	}

	/**
	 * What Grafana's webhook added to an alert, under Grafana's own names; null for
	 * alerts from Alertmanager.
	 */
	record GrafanaView(Map<String, Double> values, String valueString, String dashboardURL, String panelURL,
			String silenceURL, String imageURL) {

		static GrafanaView of(GrafanaDetails grafana) {
			return (grafana != null) ? new GrafanaView(grafana.values(), grafana.valueString(), grafana.dashboardUrl(),
					grafana.panelUrl(), grafana.silenceUrl(), grafana.imageUrl()) : null;
		}

	}

	record EventView(long id, Instant at, String type, String actor, String actorKind, String summary,
			Map<String, Object> details) {

		static EventView of(RecordedEvent event) {
			return new EventView(event.id(), event.occurredAt(), event.type().name(), event.actor().name(),
					lower(event.actor().kind()), event.summary(), event.details());
		}

	}

	private static String lower(Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

}
