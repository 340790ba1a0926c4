package activtrak

import (
	"encoding/json"
	"time"
)

// Timestamps: the API sends date-times with or without an offset and with or
// without fractional seconds ("2024-06-03T08:44:51.994"). The models read all
// of these; a value without an offset is taken as UTC, and a value that
// cannot be read at all (or null) leaves the zero time.Time instead of
// failing the page.

// TimeBreakdown splits an amount of time by productivity class. The API does
// not document the unit; integrators read seconds.
type TimeBreakdown struct {
	// Productive is time on activities classed productive (wire "productive").
	Productive float64 `json:"productive"`
	// Unproductive is time on activities classed unproductive ("unproductive").
	Unproductive float64 `json:"unproductive"`
	// Undefined is time on unclassified activities ("undefined").
	Undefined float64 `json:"undefined"`
	// Total is the sum of the three ("total").
	Total float64 `json:"total"`
}

// WorkingHours is one row of the working-hours report: one day of one user
// (ListUserWorkingHours) or one computer (ListComputerWorkingHours).
//
// ActivTrak's two documented examples disagree with their descriptions: the
// users example carries computerid and users, the computers example userid
// and computers. This one type carries all four, whichever endpoint sent it;
// fields the answer did not carry stay zero.
type WorkingHours struct {
	// Date is the day the row covers (wire "date").
	Date time.Time `json:"date"`
	// UserID is the user's id (wire "userId"; the early-access contract's
	// "userid" is read too), 0 when not sent or null.
	UserID int64 `json:"userId"`
	// ComputerID is the computer's id (wire "computerId"; early-access
	// "computerid" is read too), 0 when not sent or null.
	ComputerID int64 `json:"computerId"`
	// User is the user's name (wire "user"), "" when not sent or null.
	User string `json:"user"`
	// Computer is the computer's name (wire "computer"), "" when not sent
	// or null.
	Computer string `json:"computer"`
	// Location is the user's work location (wire "location"; users report
	// only), "" when not sent.
	Location string `json:"location"`
	// TotalOfflineMeetings is the number of offline meetings of the day
	// (wire "TotalOfflineMeetings", capital T; users report only), 0 when not
	// sent.
	TotalOfflineMeetings int64 `json:"TotalOfflineMeetings"`
	// Groups are the row's groups as sent (wire "groups"); the element shape
	// is not documented.
	Groups []json.RawMessage `json:"groups"`
	// Users are the row's users as sent (wire "users").
	Users []json.RawMessage `json:"users"`
	// Computers are the row's computers as sent (wire "computers").
	Computers []json.RawMessage `json:"computers"`
	// FirstActivity is the first activity of the day (wire "firstActivity").
	FirstActivity time.Time `json:"firstActivity"`
	// LastActivity is the last activity of the day (wire "lastActivity").
	LastActivity time.Time `json:"lastActivity"`
	// LastActivityLog is the time of the last activity-log record received
	// for the row (wire "lastActivityLog").
	LastActivityLog time.Time `json:"lastActivityLog"`
	// ActiveTime is active time by productivity (wire "activeTime").
	ActiveTime TimeBreakdown `json:"activeTime"`
	// PassiveTime is passive (idle) time by productivity (wire "passiveTime").
	PassiveTime TimeBreakdown `json:"passiveTime"`
	// TotalTime is the day's total time (wire "totalTime"), in the same
	// undocumented unit (seconds, as integrators read it).
	TotalTime float64 `json:"totalTime"`
}

// UnmarshalJSON decodes a row, reading its timestamps leniently.
func (w *WorkingHours) UnmarshalJSON(b []byte) error {
	return unmarshalVia[workingHoursWire](b, w)
}

// ActivityLogEntry is one record of the activity log: one application or
// website in the foreground of a computer for a span of time.
type ActivityLogEntry struct {
	// LogID identifies the record (wire "logId"); FollowActivityLog
	// de-duplicates by it.
	LogID int64 `json:"logId"`
	// Productivity is the record's productivity class as sent
	// (wire "productivity"); the values are not documented.
	Productivity int `json:"productivity"`
	// PopupAlarm, EmailAlarm, ExternalNotificationAlarm and Terminate say
	// whether an alarm of that kind fired for the record; nil when the API
	// sent null (wire "popupAlarm", "emailAlarm",
	// "externalNotificationAlarm", "terminate").
	PopupAlarm                *bool `json:"popupAlarm"`
	EmailAlarm                *bool `json:"emailAlarm"`
	ExternalNotificationAlarm *bool `json:"externalNotificationAlarm"`
	Terminate                 *bool `json:"terminate"`
	// Time is when the activity started, in UTC, whichever contract
	// answered: from "time_utc", else "time" (public contract), else the
	// early-access "date". A value without an offset is read as UTC.
	Time time.Time `json:"-"`
	// TimeZone is the record's time zone as sent (wire "time_zone"), "" when
	// null or not sent.
	TimeZone string `json:"time_zone"`
	// Date is the early-access contract's start time (wire "date"); zero in
	// public-contract answers. Use Time.
	Date time.Time `json:"date"`
	// ComputerID is the computer's id (wire "computerId").
	ComputerID int64 `json:"computerId"`
	// Computer is the computer's name (wire "computer").
	Computer string `json:"computer"`
	// PrimaryDomain is the computer's domain (wire "primaryDomain").
	PrimaryDomain string `json:"primaryDomain"`
	// PrivateIP and PublicIP are the computer's addresses
	// (wire "privateIp", "publicIp").
	PrivateIP string `json:"privateIp"`
	PublicIP  string `json:"publicIp"`
	// LoginDomain is the user's login domain (wire "loginDomain").
	LoginDomain string `json:"loginDomain"`
	// User is the user's login name (wire "user").
	User string `json:"user"`
	// Session is the agent session number (wire "session").
	Session int64 `json:"session"`
	// Duration is how long the activity lasted (wire "duration"); the unit is
	// not documented, integrators read seconds.
	Duration float64 `json:"duration"`
	// ApplicationID identifies the application (wire "applicationId").
	ApplicationID int64 `json:"applicationId"`
	// WebsiteID identifies the website, nil when the record is not a
	// website visit (wire "websiteId").
	WebsiteID *int64 `json:"websiteId"`
	// Executable is the application's executable (wire "executable").
	Executable string `json:"executable"`
	// Description is the window title (wire "description").
	Description string `json:"description"`
	// URL is the website address, "" for applications (wire "url").
	URL string `json:"url"`
	// ScreenshotURL links the record's screenshot (wire "screenshotUrl"),
	// "" when null or not sent.
	ScreenshotURL string `json:"screenshotUrl"`
	// TitleBar is the window's title bar (wire "titleBar"), "" when null.
	TitleBar string `json:"titleBar"`
	// Website is the website's name (wire "website"), "" when null.
	Website string `json:"website"`
	// Subpage is the website's subpage (wire "subpage"), "" when null.
	Subpage string `json:"subpage"`
	// Location is the user's work location (wire "location"), "" when null.
	Location string `json:"location"`
}

// UnmarshalJSON decodes a record, reading its date leniently.
func (e *ActivityLogEntry) UnmarshalJSON(b []byte) error {
	return unmarshalVia[activityLogWire](b, e)
}
