package dev.warden.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import com.sun.net.httpserver.HttpServer;

/**
 * A small metrics target standing in for the AI inference app: serves {@code /metrics} in
 * Prometheus' text format with values the test sets, or computes at each scrape (such as
 * whether a TCP port answers, as the app's own database probe does).
 */
final class MetricsTarget implements AutoCloseable {

	private final HttpServer server;

	private final Map<String, DoubleSupplier> series = new ConcurrentHashMap<>();

	MetricsTarget() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/metrics", (exchange) -> {
			byte[] body = text().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	/** The {@code host:port} Prometheus scrapes. */
	String address() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Sets a series, such as {@code ai_model_accuracy} or
	 * {@code ai_db_port_up{db="primary"}}.
	 */
	MetricsTarget set(String series, double value) {
		this.series.put(series, () -> value);
		return this;
	}

	/**
	 * A series that is 1 while something accepts TCP connections on this loopback port.
	 */
	MetricsTarget portProbe(String series, int port) {
		this.series.put(series, () -> answers(port) ? 1 : 0);
		return this;
	}

	static boolean answers(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String text() {
		StringBuilder text = new StringBuilder();
		Map<String, String> types = new TreeMap<>();
		new TreeMap<>(this.series).forEach((name, value) -> {
			String metric = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
			if (types.putIfAbsent(metric, "gauge") == null) {
				text.append("# TYPE ").append(metric).append(" gauge\n");
			}
			text.append(name).append(' ').append(value.getAsDouble()).append('\n');
		});
		return text.toString();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
