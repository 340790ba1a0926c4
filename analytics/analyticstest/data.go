package analyticstest

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// DailyValue is the activity count the fake reports for one user on one
// calendar date (the date of day as given): 0 on Saturdays and Sundays and on
// about one weekday in ten, otherwise a whole number from 20 to 80. It
// depends only on its arguments (ids compared case-insensitively), so tests
// can compute the values they expect.
func DailyValue(clientID, userID string, day time.Time) float64 {
	y, m, d := day.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return 0
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(strings.ToLower(clientID) + "/" + strings.ToLower(userID) + "/" + date.Format(dateLayout)))
	n := h.Sum64()
	if n%10 == 0 {
		return 0
	}
	return float64(20 + (n/10)%61)
}

// GeneratedUserID returns the id of the i-th user (from 0) that WithUsers
// adds to ClientID: "00000000-0000-4000-8000-" and i+1 as 12 hex digits.
func GeneratedUserID(i int) string { return fmt.Sprintf("%s%012x", generatedPrefix, i+1) }

const generatedPrefix = "00000000-0000-4000-8000-"

// generatedIndex returns i for GeneratedUserID(i), or -1.
func generatedIndex(id string) int {
	if len(id) != len(generatedPrefix)+12 || !strings.HasPrefix(id, generatedPrefix) {
		return -1
	}
	n, err := strconv.ParseUint(id[len(generatedPrefix):], 16, 48)
	if err != nil || n == 0 {
		return -1
	}
	return int(n - 1)
}

const dateLayout = "2006-01-02"

// periodStart returns the first date of the period of granularity g that
// holds d: weeks run Monday to Sunday, quarters start in January, April, July
// and October.
func periodStart(g string, d time.Time) time.Time {
	switch g {
	case "weekly":
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "monthly":
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "quarterly":
		return time.Date(d.Year(), (d.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// nextPeriod returns the first date of the period after the one that starts
// at start.
func nextPeriod(g string, start time.Time) time.Time {
	switch g {
	case "weekly":
		return start.AddDate(0, 0, 7)
	case "monthly":
		return start.AddDate(0, 1, 0)
	case "quarterly":
		return start.AddDate(0, 3, 0)
	}
	return start.AddDate(0, 0, 1)
}

type point struct {
	Date  string  `json:"date"`
	Value float64 `json:"value"`
}

// series builds the data points of [start, end] at granularity g: one per
// period that meets the range, valued at the sum of value over its dates
// inside the range, dated at the period's first date inside the range (or at the
// period's calendar start when calendarDates is set).
func series(g string, start, end time.Time, calendarDates bool, value func(time.Time) float64) []point {
	out := []point{}
	for cur := start; !cur.After(end); {
		ps := periodStart(g, cur)
		next := nextPeriod(g, ps)
		date := cur
		if calendarDates {
			date = ps
		}
		var sum float64
		for d := cur; d.Before(next) && !d.After(end); d = d.AddDate(0, 0, 1) {
			sum += value(d)
		}
		out = append(out, point{Date: date.Format(dateLayout), Value: sum})
		cur = next
	}
	return out
}
