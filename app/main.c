#include "cs-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (CsApplication) app = NULL;

  g_set_application_name ("Clusterscope");
  app = cs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
