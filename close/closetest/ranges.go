package closetest

import "time"

// span is a half-open range of UTC day numbers [from, to).
type span struct{ from, to int64 }

func (s span) empty() bool { return s.to <= s.from }

func (s span) clamp(o span) span {
	if s.from < o.from {
		s.from = o.from
	}
	if s.to > o.to {
		s.to = o.to
	}
	if s.to < s.from {
		s.to = s.from
	}
	return s
}

func dayOf(t time.Time) int64 { return dayNum(t) }

func monthStart(y int, m time.Month) int64 { return dayNum(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)) }

// relativeSpan resolves a relative range against the anchor's UTC day. Weeks
// start on Monday; "this" periods end at the end of the period (days after
// the anchor simply have no activity).
func relativeSpan(rel string, anchor time.Time, org int64) (span, bool) {
	a := anchor.UTC()
	today := dayOf(a)
	y, m, _ := a.Date()
	q := time.Month((int(m)-1)/3*3 + 1)
	monday := today - int64((int(a.Weekday())+6)%7)
	switch rel {
	case "today":
		return span{today, today + 1}, true
	case "yesterday":
		return span{today - 1, today}, true
	case "this-week":
		return span{monday, monday + 7}, true
	case "last-week":
		return span{monday - 7, monday}, true
	case "this-month":
		return span{monthStart(y, m), monthStart(y, m+1)}, true
	case "last-month":
		return span{monthStart(y, m-1), monthStart(y, m)}, true
	case "this-quarter":
		return span{monthStart(y, q), monthStart(y, q+3)}, true
	case "last-quarter":
		return span{monthStart(y, q-3), monthStart(y, q)}, true
	case "this-year":
		return span{monthStart(y, 1), monthStart(y+1, 1)}, true
	case "last-year":
		return span{monthStart(y-1, 1), monthStart(y, 1)}, true
	case "all-time":
		return span{org, today + 1}, true
	}
	return span{}, false
}

// datetimeSpan is the UTC days a datetime range touches: from the day holding
// start to the last day beginning before end.
func datetimeSpan(start, end time.Time) span {
	to := dayOf(end)
	if dayTime(to).Before(end) {
		to++
	}
	return span{dayOf(start), to}
}

// bucket is one overview row: its label and its days.
type bucket struct {
	label time.Time
	days  span
}

// maxDailyBuckets is the longest range the fake reports by day; longer ranges
// are reported by calendar month.
const maxDailyBuckets = 92

func buckets(s span) []bucket {
	if s.empty() {
		return nil
	}
	var out []bucket
	if s.to-s.from <= maxDailyBuckets {
		for d := s.from; d < s.to; d++ {
			out = append(out, bucket{label: dayTime(d), days: span{d, d + 1}})
		}
		return out
	}
	first := dayTime(s.from)
	y, m, _ := first.Date()
	for {
		start := monthStart(y, m)
		if start >= s.to {
			return out
		}
		out = append(out, bucket{label: dayTime(start), days: span{start, monthStart(y, m+1)}.clamp(s)})
		m++
	}
}
