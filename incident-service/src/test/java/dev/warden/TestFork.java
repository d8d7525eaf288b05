package dev.warden;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What each test JVM has to itself while other test JVMs (Surefire's forks, see the
 * README's "Tests") run at the same time on the machine: a block of ports and a name for
 * its own files.
 * <p>
 * A port the kernel hands out ({@code new ServerSocket(0)}) comes from the ephemeral
 * range, where every other process's outgoing connection and free-port lookup takes its
 * ports too: a test that looks up a port and binds it seconds later (a child JVM,
 * Prometheus), or lets a server go and starts it again on the same port (an SMTP outage),
 * could find it taken. The ports here lie below that range (32768 and up on Linux), which
 * the kernel never hands out, in a block of this JVM's own: the forks of one run have
 * different blocks, so a port stays free for the test that holds it.
 */
public final class TestFork {

	/**
	 * The system property that marks a Warden a test started in a JVM of its own (see
	 * {@link WardenProcess}): it runs from the test classpath, but is no test JVM.
	 */
	static final String CHILD = "warden.test.child";

	private static final int FIRST_PORT = 10_000;

	private static final int BLOCK = 500;

	private static final int BLOCKS = 44;

	private static final int FORKS_PER_RUN = 4;

	private static final int NUMBER = Integer.getInteger("surefire.forkNumber", 1);

	private static final String NAME = System.getProperty("warden.test.fork", "fork-" + NUMBER);

	/**
	 * This JVM's block: the fork's number, spread by the pid of the build that started
	 * the forks (the same for all forks of one run), so that two builds running at once
	 * (two worktrees) rarely share a block; a port bound by anyone is skipped anyway.
	 */
	private static final int BLOCK_START = FIRST_PORT + BLOCK * (int) ((NUMBER
			+ FORKS_PER_RUN * (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L) % (BLOCKS / 4)))
			% BLOCKS);

	private static final AtomicInteger NEXT = new AtomicInteger();

	private TestFork() {
	}

	/** Whether this is a Warden a test started in a JVM of its own. */
	static boolean child() {
		return Boolean.getBoolean(CHILD);
	}

	/**
	 * This JVM's name among the test JVMs of a run ({@code parallel-1},
	 * {@code serial-1}), for files of its own.
	 */
	public static String name() {
		return NAME;
	}

	/** A directory under {@code target} that is this JVM's only. */
	public static Path directory(String name) {
		return Path.of("target", name, NAME);
	}

	/**
	 * A port on the loopback interface that no one has bound, from this JVM's block: it
	 * stays free, for as long as the test needs, for the test that asked for it.
	 */
	public static int freePort() {
		for (int tries = 0; tries < BLOCK; tries++) {
			int port = BLOCK_START + Math.floorMod(NEXT.getAndIncrement(), BLOCK);
			if (free(port)) {
				return port;
			}
		}
		throw new IllegalStateException(
				"No free port left in this test JVM's block " + BLOCK_START + "-" + (BLOCK_START + BLOCK - 1));
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
