// The product's name with its mark: large on the sign-in card and the splash, small in the header.
import { ShieldCheck } from 'lucide-react';

export function Brand({ large = false }: { large?: boolean }) {
  return (
    <div className={large ? 'brand brand-large' : 'brand'}>
      <span className="brand-mark" aria-hidden>
        <ShieldCheck size={large ? 22 : 16} />
      </span>
      <span>ThetaSecure Admin</span>
    </div>
  );
}
