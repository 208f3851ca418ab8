<%@ page contentType="text/plain; charset=UTF-8" session="true" import="java.util.*,java.lang.management.ManagementFactory,javax.management.*" %><%--
  cluster-lint e2e probe: who served the request, which session, what it holds.
  ?set=name=value stores a session attribute; every response lists them all.
--%><%
String set = request.getParameter("set");
if (set != null && set.indexOf('=') > 0) {
  session.setAttribute(set.substring(0, set.indexOf('=')), set.substring(set.indexOf('=') + 1));
}
MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
String jvmRoute = "";
String manager = "";
try {
  Object r = mbs.getAttribute(new ObjectName("Catalina:type=Engine"), "jvmRoute");
  jvmRoute = r == null ? "" : r.toString();
} catch (Exception e) { jvmRoute = "?" + e.getClass().getSimpleName(); }
try {
  for (ObjectName on : mbs.queryNames(new ObjectName("Catalina:type=Manager,context=" + request.getContextPath() + ",*"), null)) {
    manager = String.valueOf(mbs.getAttribute(on, "modelerType"));
  }
} catch (Exception e) { manager = "?" + e.getClass().getSimpleName(); }
out.println("node=" + System.getProperty("e2e.node", ""));
out.println("jvmRoute=" + jvmRoute);
out.println("session=" + session.getId());
out.println("new=" + session.isNew());
out.println("created=" + session.getCreationTime());
out.println("manager=" + manager);
List<String> names = Collections.list(session.getAttributeNames());
Collections.sort(names);
for (String n : names) out.println("attr." + n + "=" + session.getAttribute(n));
%>
