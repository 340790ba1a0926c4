package activtraktest

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// badRequest is a 400 answer's message.
type badRequest string

func (b badRequest) Error() string { return string(b) }

// parseDate reads a YYYY-MM-DD parameter; ok is false when it is absent.
func parseDate(q url.Values, name string) (time.Time, bool, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, false, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, false, badRequest(fmt.Sprintf("The value '%s' is not valid for %s. Format: YYYY-MM-DD.", v, name))
	}
	return t, true, nil
}

// parseInt reads an integer parameter with a default and bounds.
func parseInt(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(fmt.Sprintf("The value '%s' is not valid for %s: must be between %d and %d.", v, name, lo, hi))
	}
	return n, nil
}

// filter is the one of the user, group and computer filters a request
// carries, and the activity log's duration bounds.
type filter struct {
	user, group, computer int64 // 0: not set; user -1: all users
	minDur, maxDur        int64 // seconds; -1: not set
}

// parseFilter applies the selected contract's names (report is "users",
// "computers" or "activitylog") and the one-of rule.
func (s *Server) parseFilter(q url.Values, report string) (filter, error) {
	f := filter{minDur: -1, maxDur: -1}
	userName, computerName := "clientId", "deviceId"
	foreign := []string{"userId", "computerId"}
	if s.cfg.earlyAccess {
		userName, computerName = "userId", "computerId"
		foreign = []string{"clientId", "deviceId", "minDuration", "maxDuration"}
	}
	for _, name := range foreign {
		if _, ok := q[name]; ok {
			return f, badRequest(fmt.Sprintf("The parameter %s is not supported by this API version.", name))
		}
	}
	if !s.cfg.earlyAccess {
		if _, ok := q["deviceId"]; ok && report == "users" {
			return f, badRequest("The parameter deviceId is not supported by this report; use the computers report.")
		}
		if _, ok := q["clientId"]; ok && report == "computers" {
			return f, badRequest("The parameter clientId is not supported by this report; use the users report.")
		}
	}
	set := 0
	for _, p := range []struct {
		name string
		dst  *int64
	}{{userName, &f.user}, {"groupId", &f.group}, {computerName, &f.computer}} {
		v, ok := q[p.name]
		if !ok {
			continue
		}
		set++
		n, err := strconv.ParseInt(v[0], 10, 64)
		if err != nil {
			return f, badRequest(fmt.Sprintf("The value '%s' is not valid for %s.", v[0], p.name))
		}
		*p.dst = n
	}
	if set > 1 {
		return f, badRequest(fmt.Sprintf("Only one of the fields (%s, groupId, %s) can be sent per request.", userName, computerName))
	}
	if f.user == -1 {
		f.user = 0
	}
	if report == "activitylog" && !s.cfg.earlyAccess {
		for _, p := range []struct {
			name string
			dst  *int64
		}{{"minDuration", &f.minDur}, {"maxDuration", &f.maxDur}} {
			v, ok := q[p.name]
			if !ok {
				continue
			}
			n, err := strconv.ParseInt(v[0], 10, 64)
			if err != nil || n < 0 {
				return f, badRequest(fmt.Sprintf("The value '%s' is not valid for %s: whole seconds.", v[0], p.name))
			}
			*p.dst = n
		}
	}
	return f, nil
}

// matchDuration reports whether a record of d seconds passes the duration
// bounds (inclusive).
func (f filter) matchDuration(d float64) bool {
	return (f.minDur < 0 || d >= float64(f.minDur)) && (f.maxDur < 0 || d <= float64(f.maxDur))
}

// matchUser reports whether user index u (with its group and computer)
// passes f.
func (s *Server) matchUser(f filter, u int) bool {
	switch {
	case f.user != 0:
		return f.user == userID(u)
	case f.group != 0:
		return f.group == groupID(u%s.cfg.groups)
	case f.computer != 0:
		return f.computer == computerID(u)
	}
	return true
}

// dayIndex is the 0-based day of t in the data (may be out of range).
func (s *Server) dayIndex(t time.Time) int {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(d.Sub(s.cfg.start).Hours() / 24)
}
