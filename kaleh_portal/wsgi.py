import os

from django.core.wsgi import get_wsgi_application

# A server or worker started without DJANGO_SETTINGS_MODULE runs the production settings, which
# refuse to start without their environment (fail closed); manage.py defaults to the local ones.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleh_portal.settings.production")
application = get_wsgi_application()
