// Read an iTIP message (an invitation, its update or its cancellation) from stdin with
// Mozilla's ical.js (Thunderbird's parser) and print what Thunderbird's invitation handling
// reads from it as JSON; exit 1 with the parser's message when it cannot read it.
import ICAL from "../js/node_modules/ical.js/dist/ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

try {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const attendees = vevent.getAllProperties("attendee").map((p) => ({
      address: p.getFirstValue(),
      partstat: p.getParameter("partstat") ?? null,
      rsvp: p.getParameter("rsvp") ?? null,
      role: p.getParameter("role") ?? null,
    }));
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue("status"),
      summary: event.summary,
      organizer: vevent.getFirstPropertyValue("organizer"),
      attendees,
      start_utc: event.startDate.toJSDate().toISOString(),
      tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    };
  });
  console.log(JSON.stringify({ method: root.getFirstPropertyValue("method"), events }));
} catch (error) {
  console.error(`ical.js: ${error.message}`);
  process.exit(1);
}
