"""Words the packages we use show on our pages but leave untranslated.

Listed here so that makemessages keeps them in our catalogue, where their
Chinese is (our catalogue comes before any package's); nothing imports this
module. Some have a package's Chinese that keeps English words ("Cron 表达式"):
ours replaces it.
"""

from django.utils.translation import gettext_noop

PACKAGE_WORDS = [
    # The staff site's list of models (Django 5.2 admin/app_list.html).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # allauth's kinds of second factor.
    gettext_noop("WebAuthn"),
    # django-q2's task tables: field names and help texts (django_q/models.py).
    gettext_noop("Task"),
    gettext_noop("Task id"),
    gettext_noop("32-character task identifier."),
    gettext_noop("Name"),
    gettext_noop("Optional human-readable name for lookup and display."),
    gettext_noop("Function"),
    gettext_noop("Dotted import path to the callable, e.g. myapp.tasks.job."),
    gettext_noop("Hook"),
    gettext_noop("Optional dotted path to a callback that receives the task result."),
    gettext_noop("Arguments"),
    gettext_noop("Pickled positional arguments (tuple)."),
    gettext_noop("Keyword arguments"),
    gettext_noop("Pickled keyword arguments (dict)."),
    gettext_noop("Result"),
    gettext_noop("Pickled return value or error payload."),
    gettext_noop("Group"),
    gettext_noop("Optional group id to aggregate related tasks."),
    gettext_noop("Cluster"),
    gettext_noop("Name of the cluster that executed this task."),
    gettext_noop("Started at"),
    gettext_noop("When the worker started executing the task."),
    gettext_noop("Stopped at"),
    gettext_noop("When the worker finished (success or failure)."),
    gettext_noop("False if the task raised an exception or timed out."),
    gettext_noop("Attempt count"),
    gettext_noop("How many times execution was attempted."),
    gettext_noop("Optional label to identify this schedule in the admin."),
    gettext_noop("e.g. module.tasks.function"),
    gettext_noop("e.g. module.tasks.result_function"),
    gettext_noop("e.g. 1, 2, 'John'"),
    gettext_noop("e.g. x=1, y=2, name='John'"),
    gettext_noop("Cron"),
    gettext_noop("Cron expression"),
    gettext_noop("How often this task should be enqueued."),
    gettext_noop("n = n times, -1 = forever"),
    gettext_noop("When this schedule runs next (stored in UTC)."),
    gettext_noop("Last task id"),
    gettext_noop("Id of the last task spawned from this schedule (read-only)."),
    gettext_noop("Name of the target cluster"),
    gettext_noop("Intended date kwarg"),
    gettext_noop("Name of kwarg to pass intended schedule date"),
    gettext_noop("Cluster key"),
    gettext_noop("Payload"),
    gettext_noop("Signed serialized task package (do not edit manually)."),
    gettext_noop("Lock until"),
    gettext_noop("Prevent any cluster from pulling until"),
    gettext_noop("Queue options"),
    # django-q2's admin: its columns (django_q/admin.py).
    gettext_noop("success"),
    gettext_noop("Time Taken"),
    gettext_noop("Short result"),
]

# The schedules our migrations add, by the name they store (the staff site's
# list of schedules shows them in the reader's language).
SCHEDULE_NAMES = [
    gettext_noop("accounts: remove stale unverified accounts"),
    gettext_noop("orders: expire unclaimed"),
    gettext_noop("orders: auto-complete delivered"),
    gettext_noop("orders: flag unclaimed and no-shows"),
    gettext_noop("orders: reminders 24 h ahead"),
    gettext_noop("orders: announce orders whose offer ended"),
    gettext_noop("rewards: expire uncollected redemptions"),
    gettext_noop("rewards: open and award star notices"),
    gettext_noop("series: publish visits"),
    gettext_noop("series: take series off volunteers who miss visits"),
]
