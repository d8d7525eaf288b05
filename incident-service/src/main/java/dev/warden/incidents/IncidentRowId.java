package dev.warden.incidents;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.hibernate.annotations.IdGeneratorType;

/**
 * The id of a row an incident owns (an alert, a timeline event): drawn by
 * {@link IncidentRowIds} when the row is persisted, together with the ids of every other
 * new row of its incident.
 */
@IdGeneratorType(IncidentRowIds.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface IncidentRowId {

}
