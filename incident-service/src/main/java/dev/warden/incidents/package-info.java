/**
 * The {@link dev.warden.incidents.Incident} aggregate, its alerts, lifecycle, milestones
 * and timeline; the only writer of incident state. Other modules call
 * {@link dev.warden.incidents.IncidentService}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Incidents")
package dev.warden.incidents;
