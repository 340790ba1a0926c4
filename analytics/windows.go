package analytics

import "time"

// window is one request's date range, both ends included, as UTC midnights.
type window struct{ start, end time.Time }

// days returns the number of calendar dates from a to b, both included.
func days(a, b time.Time) int { return int((b.Unix()-a.Unix())/86400) + 1 }

// periodEnd returns the last date of the granularity period that contains d
// (d itself for daily; the Sunday of d's Monday-to-Sunday week; the last day
// of d's month or quarter).
func periodEnd(g Granularity, d time.Time) time.Time {
	switch g {
	case GranularityWeekly:
		toSunday := (7 - int(d.Weekday())) % 7
		return d.AddDate(0, 0, toSunday)
	case GranularityMonthly:
		return time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	case GranularityQuarterly:
		lastMonth := ((d.Month()-1)/3)*3 + 3
		return time.Date(d.Year(), lastMonth+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// quarterName names d's calendar quarter, "2026-Q2".
func quarterName(d time.Time) string {
	return d.Format("2006") + "-Q" + string(rune('1'+(d.Month()-1)/3))
}

// split cuts r's range into consecutive windows of at most r.maxDays dates
// (one window when r.maxDays is 0: the endpoint documents no limit)
// whose boundaries fall on boundaries of r.granularity's periods, so that no
// period is shared by two requests and each data point comes whole from one
// answer. Windows are as long as possible: a one-year daily range takes five
// requests, a weekly one five (12 weeks each), a monthly one five or six.
//
// A period whose part inside the range is longer than MaxRangeDays cannot be
// fetched whole; split returns a *ValidationError naming it. Only quarters
// can be that long (91 or 92 days; a first quarter has 90 or 91).
func split(r request) ([]window, error) {
	if r.maxDays <= 0 || days(r.start, r.end) <= r.maxDays {
		return []window{{r.start, r.end}}, nil
	}
	var out []window
	ws := r.start
	for cur := r.start; !cur.After(r.end); {
		segEnd := periodEnd(r.granularity, cur)
		if segEnd.After(r.end) {
			segEnd = r.end
		}
		if n := days(cur, segEnd); n > r.maxDays {
			return nil, invalid(r.params, "Granularity",
				"the range %s..%s is longer than %d days, so it is fetched in windows that end on quarter boundaries, "+
					"but the quarter %s alone covers %d days of it (%s..%s), more than one request may ask for; "+
					"use a range of at most %d days, or GranularityMonthly and add the months up (activity is a sum)",
				formatDate(r.start), formatDate(r.end), r.maxDays, quarterName(cur), n,
				formatDate(cur), formatDate(segEnd), r.maxDays)
		}
		if days(ws, segEnd) > r.maxDays {
			out = append(out, window{ws, cur.AddDate(0, 0, -1)})
			ws = cur
		}
		cur = segEnd.AddDate(0, 0, 1)
	}
	return append(out, window{ws, r.end}), nil
}
