/**
 * Reading Warden's YAML configuration files with the line of every value, so problems
 * name file, line and reason.
 */
@org.springframework.modulith.ApplicationModule(displayName = "YAML files", allowedDependencies = {})
package dev.warden.yaml;
