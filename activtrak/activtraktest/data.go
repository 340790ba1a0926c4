package activtraktest

import (
	"fmt"
	"strings"
	"time"
)

// Synthetic entities: user u (0-based) has id 1001+u and computer 2001+u;
// group g has id 301+g.

func userID(u int) int64     { return int64(1001 + u) }
func computerID(u int) int64 { return int64(2001 + u) }
func groupID(g int) int64    { return int64(301 + g) }

// UserName is the login of user u (0-based): "user01" for u = 0.
func UserName(u int) string { return fmt.Sprintf("user%02d", u+1) }

// ComputerName is the name of user u's computer: "PC-001" for u = 0.
func ComputerName(u int) string { return fmt.Sprintf("PC-%03d", u+1) }

// GroupName is the name of group g (0-based): "Group 1" for g = 0.
func GroupName(g int) string { return fmt.Sprintf("Group %d", g+1) }

var apps = []struct{ exe, title, url string }{
	{"chrome.exe", "Pull requests - GitHub", "https://github.com/pulls"},
	{"code.exe", "main.go - Visual Studio Code", ""},
	{"outlook.exe", "Inbox - Outlook", ""},
	{"chrome.exe", "YouTube", "https://www.youtube.com/"},
	{"slack.exe", "Slack - #general", ""},
	{"msedge.exe", "Jira board", "https://example.atlassian.net/jira"},
	{"excel.exe", "Budget.xlsx - Excel", ""},
}

// fakeTimeLayout is how the fake sends activity-log dates: no offset,
// milliseconds when there are any (as the API has been seen to).
const fakeTimeLayout = "2006-01-02T15:04:05.999"

func boolPtr(b bool) *bool    { return &b }
func int64Ptr(n int64) *int64 { return &n }

// LogRecord is one activity-log record as the fake serves it. UserID and
// GroupID are not sent (the API has no such fields on a record); they let
// the fake apply userId and groupId filters to appended records.
type LogRecord struct {
	LogID                     int64   `json:"logId"`
	Productivity              int     `json:"productivity"`
	PopupAlarm                *bool   `json:"popupAlarm"`
	EmailAlarm                *bool   `json:"emailAlarm"`
	ExternalNotificationAlarm *bool   `json:"externalNotificationAlarm"`
	Terminate                 *bool   `json:"terminate"`
	DateText                  string  `json:"date"`
	ComputerID                int64   `json:"computerId"`
	Computer                  string  `json:"computer"`
	PrimaryDomain             string  `json:"primaryDomain"`
	PrivateIP                 string  `json:"privateIp"`
	PublicIP                  string  `json:"publicIp"`
	LoginDomain               string  `json:"loginDomain"`
	User                      string  `json:"user"`
	Session                   int64   `json:"session"`
	Duration                  float64 `json:"duration"`
	ApplicationID             int64   `json:"applicationId"`
	WebsiteID                 *int64  `json:"websiteId"`
	Executable                string  `json:"executable"`
	Description               string  `json:"description"`
	URL                       string  `json:"url"`

	// Date is the record's date; its day decides the startDate and endDate
	// filters. When DateText is "" it is sent as "2006-01-02T15:04:05.999"
	// (no offset); set DateText to send any text instead (an odd timestamp).
	Date time.Time `json:"-"`
	// UserID and GroupID are the record's user and group ids, for filters.
	UserID  int64 `json:"-"`
	GroupID int64 `json:"-"`
}

// generated returns generated record seq (0-based arrival order).
func (s *Server) generated(seq int) LogRecord {
	per := s.cfg.perDay
	day, k := seq/per, seq%per
	u := k % s.cfg.users
	step := 9 * time.Hour / time.Duration(per)
	date := s.cfg.start.AddDate(0, 0, day).Add(8*time.Hour + time.Duration(k)*step +
		time.Duration((seq*37)%1000)*time.Millisecond)
	app := apps[seq%len(apps)]
	r := LogRecord{
		LogID:         int64(seq + 1),
		Productivity:  seq%3 - 1,
		Date:          date,
		ComputerID:    computerID(u),
		Computer:      ComputerName(u),
		PrimaryDomain: "corp.example",
		PrivateIP:     fmt.Sprintf("10.0.%d.%d", u/250, u%250+10),
		PublicIP:      "203.0.113.7",
		LoginDomain:   "CORP",
		User:          UserName(u),
		Session:       int64(5000 + day*s.cfg.users + u),
		Duration:      float64(15 + (seq*7)%600),
		ApplicationID: int64(100 + seq%len(apps)),
		Executable:    app.exe,
		Description:   app.title,
		URL:           app.url,
		UserID:        userID(u),
		GroupID:       groupID(u % s.cfg.groups),
	}
	if app.url != "" {
		r.WebsiteID = int64Ptr(int64(500 + seq%len(apps)))
	}
	if seq%10 == 0 {
		r.EmailAlarm = boolPtr(false)
	}
	if seq%25 == 0 {
		r.PopupAlarm = boolPtr(true)
	}
	return r
}

// wire fills DateText from Date when it is empty.
func (r LogRecord) wire() LogRecord {
	if r.DateText == "" && !r.Date.IsZero() {
		r.DateText = r.Date.Format(fakeTimeLayout)
	}
	return r
}

// publicLogRecord is a record in the public contract: no "date"; "time"
// (the user's wall clock, with its offset), "time_utc" and "time_zone", and
// the newer fields.
type publicLogRecord struct {
	LogID                     int64   `json:"logId"`
	Productivity              int     `json:"productivity"`
	ScreenshotURL             *string `json:"screenshotUrl"`
	PopupAlarm                *bool   `json:"popupAlarm"`
	EmailAlarm                *bool   `json:"emailAlarm"`
	ExternalNotificationAlarm *bool   `json:"externalNotificationAlarm"`
	Terminate                 *bool   `json:"terminate"`
	Time                      string  `json:"time"`
	ComputerID                int64   `json:"computerId"`
	Computer                  string  `json:"computer"`
	PrimaryDomain             string  `json:"primaryDomain"`
	PrivateIP                 string  `json:"privateIp"`
	PublicIP                  string  `json:"publicIp"`
	LoginDomain               string  `json:"loginDomain"`
	User                      string  `json:"user"`
	Session                   int64   `json:"session"`
	Duration                  float64 `json:"duration"`
	ApplicationID             int64   `json:"applicationId"`
	WebsiteID                 *int64  `json:"websiteId"`
	TitleBar                  string  `json:"titleBar"`
	Executable                string  `json:"executable"`
	Description               string  `json:"description"`
	Website                   string  `json:"website"`
	Subpage                   string  `json:"subpage"`
	URL                       string  `json:"url"`
	Location                  string  `json:"location"`
	TimeZone                  string  `json:"time_zone"`
	TimeUTC                   string  `json:"time_utc"`
}

// FakeTimeZone is the time_zone of every public-contract record; "time"
// carries the record's instant at this offset.
const FakeTimeZone = "Eastern Standard Time"

var fakeZone = time.FixedZone("EST", -5*60*60)

// public is r in the public contract's shape. A record whose DateText is
// set (an odd timestamp) sends that text as time_utc.
func (r LogRecord) public() publicLogRecord {
	p := publicLogRecord{LogID: r.LogID, Productivity: r.Productivity, PopupAlarm: r.PopupAlarm, EmailAlarm: r.EmailAlarm,
		ExternalNotificationAlarm: r.ExternalNotificationAlarm, Terminate: r.Terminate, ComputerID: r.ComputerID,
		Computer: r.Computer, PrimaryDomain: r.PrimaryDomain, PrivateIP: r.PrivateIP, PublicIP: r.PublicIP,
		LoginDomain: r.LoginDomain, User: r.User, Session: r.Session, Duration: r.Duration, ApplicationID: r.ApplicationID,
		WebsiteID: r.WebsiteID, TitleBar: r.Description, Executable: r.Executable, Description: r.Description, URL: r.URL,
		Location: Locations[int(r.LogID)%len(Locations)], TimeZone: FakeTimeZone}
	if !r.Date.IsZero() {
		p.Time = r.Date.In(fakeZone).Format("2006-01-02T15:04:05.000Z07:00")
		p.TimeUTC = r.Date.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if r.DateText != "" {
		p.TimeUTC = r.DateText
	}
	if r.URL != "" {
		host, path, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(r.URL, "https://"), "http://"), "/")
		p.Website, p.Subpage = host, "/"+path
	}
	if r.LogID%4 == 0 {
		shot := fmt.Sprintf("https://screenshots.activtrak.example/%d.jpg", r.LogID)
		p.ScreenshotURL = &shot
	}
	return p
}
