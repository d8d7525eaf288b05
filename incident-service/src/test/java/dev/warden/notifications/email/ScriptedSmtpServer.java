package dev.warden.notifications.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * An SMTP server that answers each command with a scripted reply, for the replies
 * GreenMail never gives: a refused recipient, a server short of space.
 */
final class ScriptedSmtpServer implements AutoCloseable {

	private static final Map<String, String> DEFAULT_REPLIES = Map.of("EHLO", "250 scripted", "HELO", "250 scripted",
			"MAIL", "250 2.1.0 OK", "RCPT", "250 2.1.5 OK", "DATA", "354 End data with <CR><LF>.<CR><LF>", "RSET",
			"250 2.0.0 OK", "NOOP", "250 2.0.0 OK", "QUIT", "221 2.0.0 Bye");

	private final ServerSocket socket;

	private final Map<String, String> replies;

	/**
	 * Starts the server.
	 * @param replies reply per command ({@code MAIL}, {@code RCPT}, {@code DATA}...),
	 * replacing the accepting default
	 */
	ScriptedSmtpServer(Map<String, String> replies) throws IOException {
		this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
		this.replies = replies;
		Thread.ofVirtual().start(this::serve);
	}

	int port() {
		return this.socket.getLocalPort();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private void serve() {
		while (!this.socket.isClosed()) {
			try (Socket client = this.socket.accept()) {
				converse(client);
			}
			catch (IOException ex) {
				// Closed, or the client hung up: wait for the next one, if any.
			}
		}
	}

	private void converse(Socket client) throws IOException {
		BufferedReader in = new BufferedReader(
				new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
		PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII);
		reply(out, "220 scripted ESMTP");
		String line;
		while ((line = in.readLine()) != null) {
			String command = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
			String reply = this.replies.getOrDefault(command, DEFAULT_REPLIES.getOrDefault(command, "502 5.5.2 No"));
			reply(out, reply);
			if (command.equals("DATA") && reply.startsWith("354")) {
				while ((line = in.readLine()) != null && !line.equals(".")) {
					// The message itself does not matter here.
				}
				reply(out, this.replies.getOrDefault("MESSAGE", "250 2.0.0 Queued"));
			}
			if (command.equals("QUIT")) {
				return;
			}
		}
	}

	private static void reply(PrintWriter out, String reply) {
		out.print(reply + "\r\n");
		out.flush();
	}

}
