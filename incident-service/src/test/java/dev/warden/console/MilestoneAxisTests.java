package dev.warden.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MilestoneAxisTests {

	@Test
	void labelsOfMilestonesAtOneMomentArePushedApartAndStayOnTheDrawing() {
		int[] labels = MilestoneAxis.spread(new int[] { 20, 20, 20, 20, 20 });

		assertThat(labels).containsExactly(70, 190, 310, 430, 550);
	}

	@Test
	void labelsNearTheRightEndArePushedBackLeft() {
		int[] labels = MilestoneAxis.spread(new int[] { 20, 975, 980, 980 });

		assertThat(labels).containsExactly(70, 690, 810, 930);
	}

	@Test
	void labelsWithRoomStayUnderTheirMilestone() {
		int[] labels = MilestoneAxis.spread(new int[] { 100, 400, 700 });

		assertThat(labels).containsExactly(100, 400, 700);
	}

}
