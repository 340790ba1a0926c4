package activtrak

import (
	"encoding/json"
	"time"

	"github.com/activitysdk/activity-go/internal/jsondec"
)

// logPage decodes one activity-log answer for DoJSON (core.BodyDecoder).
type logPage struct {
	size   int // the page size asked for: room made up front
	items  []ActivityLogEntry
	cursor string
}

// DecodeBody reads the records in one reflection-free pass straight into
// the models when the answer has the common shape, else with encoding/json
// as before (decodeLogPageStd); the result is the same on every input.
func (p *logPage) DecodeBody(body []byte) error {
	if p.decodeFast(body) {
		return nil
	}
	var err error
	p.items, p.cursor, err = decodeLogPageStd(body, p.size)
	return err
}

// decodeLogPageStd is the encoding/json decoding of an answer.
func decodeLogPageStd(body []byte, size int) ([]ActivityLogEntry, string, error) {
	var out struct {
		Activity []activityLogWire `json:"activity"`
		Cursor   string            `json:"cursor"`
	}
	// Room for a full page up front: decoding then never grows the slice.
	out.Activity = make([]activityLogWire, 0, size)
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, "", err
	}
	items := make([]ActivityLogEntry, len(out.Activity))
	for i := range out.Activity {
		items[i] = out.Activity[i].model()
	}
	return items, out.Cursor, nil
}

// logFlags holds the optional values of one record: one allocation for its
// four alarm flags and its website id.
type logFlags struct {
	alarms  [4]bool
	website int64
}

func (p *logPage) decodeFast(body []byte) bool {
	var d jsondec.Decoder
	d.Reset(body)
	items := make([]ActivityLogEntry, 0, max(p.size, 0))
	var cursor string
	if !d.Object() {
		return false
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "activity":
			d.Seen(&seen, 0)
			if d.Null() {
				items = items[:0]
				continue
			}
			if !d.Array() {
				break
			}
			for d.More() {
				items = append(items, ActivityLogEntry{})
				d.Item()
				decodeLogEntry(&d, &items[len(items)-1])
			}
		case "cursor":
			d.Seen(&seen, 1)
			if !d.Null() {
				cursor = d.OwnString() // kept as the page token
			}
		default:
			d.Unknown(k, "activity", "cursor")
		}
	}
	if d.Finish() != nil {
		return false
	}
	p.items, p.cursor = items, cursor
	return true
}

// logNames are the wire names decodeLogEntry reads (a test checks them
// against activityLogWire's json tags).
var logNames = []string{"logId", "productivity", "popupAlarm", "emailAlarm", "externalNotificationAlarm",
	"terminate", "date", "time", "time_utc", "time_zone", "computerId", "computer", "primaryDomain", "privateIp",
	"publicIp", "loginDomain", "user", "session", "duration", "applicationId", "websiteId", "executable",
	"description", "url", "screenshotUrl", "titleBar", "website", "subpage", "location"}

// decodeLogEntry reads one record into e, a zero entry.
func decodeLogEntry(d *jsondec.Decoder, e *ActivityLogEntry) {
	if d.Null() || !d.Object() {
		return
	}
	var f *logFlags
	var utc time.Time
	var local []byte // the "time" value as sent
	flag := func(i int, p **bool) {
		if d.Null() {
			*p = nil
			return
		}
		if f == nil {
			f = new(logFlags)
		}
		f.alarms[i] = d.Bool()
		*p = &f.alarms[i]
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "logId":
			d.Seen(&seen, 0)
			d.Int64OrNull(&e.LogID)
		case "productivity":
			d.Seen(&seen, 1)
			if !d.Null() {
				e.Productivity = d.Int()
			}
		case "popupAlarm":
			d.Seen(&seen, 2)
			flag(0, &e.PopupAlarm)
		case "emailAlarm":
			d.Seen(&seen, 3)
			flag(1, &e.EmailAlarm)
		case "externalNotificationAlarm":
			d.Seen(&seen, 4)
			flag(2, &e.ExternalNotificationAlarm)
		case "terminate":
			d.Seen(&seen, 5)
			flag(3, &e.Terminate)
		case "date":
			d.Seen(&seen, 6)
			e.Date = lenientTimeOf(d.SkipRaw())
		case "time":
			d.Seen(&seen, 21)
			local = d.SkipRaw() // read only when time_utc is missing
		case "time_utc":
			d.Seen(&seen, 22)
			utc = lenientTimeOf(d.SkipRaw())
		case "time_zone":
			d.Seen(&seen, 23)
			d.StringOrNull(&e.TimeZone)
		case "screenshotUrl":
			d.Seen(&seen, 24)
			d.StringOrNull(&e.ScreenshotURL)
		case "titleBar":
			d.Seen(&seen, 25)
			d.StringOrNull(&e.TitleBar)
		case "website":
			d.Seen(&seen, 26)
			d.StringOrNull(&e.Website)
		case "subpage":
			d.Seen(&seen, 27)
			d.StringOrNull(&e.Subpage)
		case "location":
			d.Seen(&seen, 28)
			d.StringOrNull(&e.Location)
		case "computerId":
			d.Seen(&seen, 7)
			d.Int64OrNull(&e.ComputerID)
		case "computer":
			d.Seen(&seen, 8)
			d.StringOrNull(&e.Computer)
		case "primaryDomain":
			d.Seen(&seen, 9)
			d.StringOrNull(&e.PrimaryDomain)
		case "privateIp":
			d.Seen(&seen, 10)
			d.StringOrNull(&e.PrivateIP)
		case "publicIp":
			d.Seen(&seen, 11)
			d.StringOrNull(&e.PublicIP)
		case "loginDomain":
			d.Seen(&seen, 12)
			d.StringOrNull(&e.LoginDomain)
		case "user":
			d.Seen(&seen, 13)
			d.StringOrNull(&e.User)
		case "session":
			d.Seen(&seen, 14)
			d.Int64OrNull(&e.Session)
		case "duration":
			d.Seen(&seen, 15)
			if !d.Null() {
				e.Duration = d.Float64()
			}
		case "applicationId":
			d.Seen(&seen, 16)
			d.Int64OrNull(&e.ApplicationID)
		case "websiteId":
			d.Seen(&seen, 17)
			if d.Null() {
				e.WebsiteID = nil
			} else {
				if f == nil {
					f = new(logFlags)
				}
				f.website = d.Int64()
				e.WebsiteID = &f.website
			}
		case "executable":
			d.Seen(&seen, 18)
			d.StringOrNull(&e.Executable)
		case "description":
			d.Seen(&seen, 19)
			d.StringOrNull(&e.Description)
		case "url":
			d.Seen(&seen, 20)
			d.StringOrNull(&e.URL)
		default:
			d.Unknown(k, logNames...)
		}
	}
	// Time as activityLogWire.model sets it: time_utc, else time, else date.
	switch {
	case !utc.IsZero():
		e.Time = utc.UTC()
	case local != nil && !d.Failed():
		if t := lenientTimeOf(local); !t.IsZero() {
			e.Time = t.UTC()
			break
		}
		e.Time = e.Date.UTC()
	default:
		e.Time = e.Date.UTC()
	}
}

// lenientTimeOf reads a timestamp value (its JSON bytes, nil when it could
// not be read) as lenientTime does: the zero time unless it is a readable
// timestamp string.
func lenientTimeOf(raw []byte) time.Time {
	if raw == nil {
		return time.Time{}
	}
	if len(raw) >= 2 && raw[0] == '"' {
		if t, ok := parseCanonical(raw[1 : len(raw)-1]); ok {
			return t
		}
	}
	var l lenientTime
	_ = l.UnmarshalJSON(raw)
	return l.t
}

// parseCanonical reads the shapes the API sends, "2024-06-03T08:44:51" with
// an optional fraction of up to nine digits and no offset or "Z", as
// parseTimestamp would (in UTC), without its layout attempts (a failed one
// allocates an error). ok is false for any other text, which parseTimestamp
// then reads.
func parseCanonical(b []byte) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > daysIn(time.Month(month), year) {
		return time.Time{}, false
	}
	nsec := 0
	rest := b[19:]
	if n := len(rest); n > 0 && rest[n-1] == 'Z' {
		rest = rest[:n-1]
	}
	if len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, false
		}
		digits := rest[1:]
		for _, c := range digits {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			nsec = nsec*10 + int(c-'0')
		}
		for range 9 - len(digits) {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
