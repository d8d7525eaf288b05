package dev.warden.metrics;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.DatabaseConnections;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Prometheus scrape reads database-backed gauges from memory: it takes no database
 * connection, while the gauges still follow the database, refreshed on a schedule (here
 * every second). Every connection Warden takes is counted when it is taken on the thread
 * of a scrape request.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=metrics-scrape", "warden.metrics.refresh-interval=1s" })
@Import(MetricsScrapeIntegrationTests.ScrapeWatch.class)
class MetricsScrapeIntegrationTests {

	static final String OPEN = "warden_incidents_open{application=\"warden\"}";

	@LocalServerPort
	int port;

	@Autowired
	ConnectionsDuringScrapes connections;

	@Autowired
	DatabaseGauges gauges;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void aScrapeTakesNoDatabaseConnection() {
		this.warden.open(Payloads.group().firing("fp-scrape", Instant.now()).json());
		int scrapesBefore = this.connections.scrapes.get();
		int connectionsBefore = this.connections.taken.get();

		for (int scrape = 1; scrape <= 3; scrape++) {
			Response metrics = this.warden.getAnonymously("/actuator/prometheus");
			assertThat(metrics.status()).isEqualTo(200);
			assertThat(metrics.body()).contains(OPEN, "warden_jobs_backlog{", "warden_jobs_oldest_due_seconds{",
					"warden_jobs_failing{");
		}

		assertThat(this.connections.scrapes.get() - scrapesBefore).as("scrapes watched").isEqualTo(3);
		assertThat(this.connections.taken.get() - connectionsBefore).as("connections taken by scrapes").isZero();
	}

	@Test
	void gaugesFollowTheDatabaseOnTheRefreshSchedule() {
		awaitKnown(OPEN);
		long openBefore = openInDatabase();

		this.warden.open(Payloads.group().firing("fp-refresh", Instant.now()).json());

		// Other tests of this class open incidents too; the gauge must reach what the
		// database holds now, which is one more than before.
		long openNow = openInDatabase();
		assertThat(openNow).isEqualTo(openBefore + 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> value(scrape(), OPEN) == openNow);
		assertThat(value(scrape(), "warden_jobs_failing{application=\"warden\"}")).isZero();
	}

	@Test
	void aFailedRefreshKeepsTheLastValuesAndScrapesGoOn() throws SQLException {
		this.warden.open(Payloads.group().firing("fp-outage", Instant.now()).json());
		this.gauges.refresh();
		double open = value(scrape(), OPEN);
		assertThat(open).isGreaterThanOrEqualTo(1);

		HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
		DatabaseConnections.allow(hikari, false);
		try {
			this.gauges.refresh();

			Response metrics = this.warden.getAnonymously("/actuator/prometheus");
			assertThat(metrics.status()).isEqualTo(200);
			assertThat(value(metrics.body(), OPEN)).isEqualTo(open);
		}
		finally {
			DatabaseConnections.allow(hikari, true);
			// The pool refills in the background once PostgreSQL accepts connections
			// again.
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.until(() -> this.jdbc.sql("select count(*) from incident").query(Long.class).single() >= open);
		}
	}

	private long openInDatabase() {
		return this.jdbc.sql("select count(*) from incident where status <> 'RESOLVED'").query(Long.class).single();
	}

	private double awaitKnown(String series) {
		await().atMost(Duration.ofSeconds(20)).until(() -> !Double.isNaN(value(scrape(), series)));
		return value(scrape(), series);
	}

	private String scrape() {
		return this.warden.getAnonymously("/actuator/prometheus").body();
	}

	private static double value(String metrics, String series) {
		return metrics.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no series " + series));
	}

	/**
	 * Counts the connections taken from Warden's DataSource on the thread of a request
	 * for {@code /actuator/prometheus}, while that request is being handled.
	 */
	static final class ConnectionsDuringScrapes implements BeanPostProcessor {

		final ThreadLocal<Boolean> scraping = ThreadLocal.withInitial(() -> false);

		final AtomicInteger scrapes = new AtomicInteger();

		final AtomicInteger taken = new AtomicInteger();

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof DataSource dataSource && !(bean instanceof Counting)) {
				return new Counting(dataSource);
			}
			return bean;
		}

		final class Counting extends DelegatingDataSource {

			Counting(DataSource target) {
				super(target);
			}

			@Override
			public Connection getConnection() throws SQLException {
				count();
				return super.getConnection();
			}

			@Override
			public Connection getConnection(String username, String password) throws SQLException {
				count();
				return super.getConnection(username, password);
			}

			private void count() {
				if (ConnectionsDuringScrapes.this.scraping.get()) {
					ConnectionsDuringScrapes.this.taken.incrementAndGet();
				}
			}

		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ScrapeWatch {

		@Bean
		static ConnectionsDuringScrapes connectionsDuringScrapes() {
			return new ConnectionsDuringScrapes();
		}

		@Bean
		FilterRegistrationBean<OncePerRequestFilter> scrapeMarker(ConnectionsDuringScrapes connections) {
			OncePerRequestFilter marker = new OncePerRequestFilter() {

				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					connections.scrapes.incrementAndGet();
					connections.scraping.set(true);
					try {
						chain.doFilter(request, response);
					}
					finally {
						connections.scraping.set(false);
					}
				}

			};
			FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(marker);
			registration.addUrlPatterns("/actuator/prometheus");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
