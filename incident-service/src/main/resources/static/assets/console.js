// The console's only script of its own: tell the server the viewer's time zone, so
// pages show local times. Everything else is server-rendered (htmx refreshes parts).
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('tz=' + encodeURIComponent(zone)) < 0) {
      document.cookie = 'tz=' + encodeURIComponent(zone) + '; path=/; SameSite=Lax; max-age=31536000';
    }
  } catch (e) {
    // Old browsers: times stay in UTC.
  }
})();
