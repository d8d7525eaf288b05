package dev.warden.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * Who this instance is: id ({@code warden.cluster.instance-id}), host, process, Warden
 * version and when it started. Other modules name the instance by {@link #id()} in what
 * they record (such as a runbook step's claim).
 */
@Component
public class ThisInstance {

	private final String id;

	private final String host;

	private final long pid;

	private final String version;

	private final Instant startedAt;

	ThisInstance(ClusterSettings settings, ObjectProvider<BuildProperties> build, Clock clock) {
		this.host = hostName();
		this.id = (settings.instanceId() != null && !settings.instanceId().isBlank()) ? settings.instanceId()
				: defaultId(this.host);
		this.pid = ProcessHandle.current().pid();
		this.version = version(build.getIfAvailable());
		this.startedAt = clock.instant();
	}

	/**
	 * This instance's id, the same in the instances list and in db-scheduler's claims.
	 */
	public String id() {
		return this.id;
	}

	String host() {
		return this.host;
	}

	long pid() {
		return this.pid;
	}

	String version() {
		return this.version;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * The host name and a random suffix: two instances on one host (or one restarted) get
	 * different ids, and people still see where each runs.
	 */
	private static String defaultId(String host) {
		byte[] suffix = new byte[3];
		new SecureRandom().nextBytes(suffix);
		String base = host.replaceAll("[^A-Za-z0-9._-]", "-");
		if (base.length() > 60) {
			base = base.substring(0, 60);
		}
		return base + "-" + HexFormat.of().formatHex(suffix);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String fromEnvironment = System.getenv("HOSTNAME");
			return (fromEnvironment != null && !fromEnvironment.isBlank()) ? fromEnvironment : "warden";
		}
	}

	private static String version(BuildProperties build) {
		if (build != null && build.getVersion() != null) {
			return build.getVersion();
		}
		String fromJar = ThisInstance.class.getPackage().getImplementationVersion();
		// Run from classes (an IDE, the tests) there is no jar manifest to say.
		return (fromJar != null) ? fromJar : "development";
	}

}
